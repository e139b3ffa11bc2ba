import { Component, useEffect, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { usePopover } from "@web/core/popover/popover_hook";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { pick } from "@web/core/utils/objects";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { PropertiesField } from "@web/views/fields/properties/properties_field";
import { PropertyDefinition } from "@web/views/fields/properties/property_definition";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { uuid } from "@web/views/utils";

/** What the server's PropertiesDefinition field accepts of a definition. */
const DEFINITION_KEYS = [
    "name",
    "string",
    "type",
    "comodel",
    "default",
    "selection",
    "tags",
    "domain",
    "view_in_cards",
];

/**
 * The custom fields of a pipeline's opportunities, listed and edited on the
 * pipeline itself (F5). Odoo 18 has no widget for a PropertiesDefinition field
 * (its definitions are edited from a child record's form only): this one lists
 * them and edits each with Odoo's own property definition popover.
 */
export class PropertiesDefinitionField extends Component {
    static template = "partner_opportunity.PropertiesDefinitionField";
    static props = { ...standardFieldProps, context: { type: Object, optional: true } };

    setup() {
        this.dialog = useService("dialog");
        this.popover = usePopover(PropertyDefinition, {
            closeOnClickAway: PropertiesField.prototype.checkPopoverClose,
            popoverClass: "o_property_field_popover",
            position: "bottom",
            arrow: false,
        });
        this.typeLabels = Object.fromEntries(PropertyDefinition.prototype.availablePropertyTypes);
        this.state = useState({ openIndex: null });
        let resId;
        useRecordObserver((record) => {
            if (resId !== record.resId) {
                resId = record.resId;
                // Saved type and model of each field: changing either gives the
                // field a new name, so that the values of the old one are not
                // read as the new type (as Odoo's properties widget does).
                this.saved = Object.fromEntries(
                    (record.data[this.props.name] || []).map((d) => [d.name, d])
                );
            }
        });
        useEffect(
            (index) => {
                if (index !== null) {
                    this.state.openIndex = null;
                    const rows = document.querySelectorAll(
                        `.o_partner_opportunity_properties_definition[data-field="${this.props.name}"] .o_partner_opportunity_property_edit`
                    );
                    if (rows[index]) {
                        this.openDefinition(rows[index], index, true);
                    }
                }
            },
            () => [this.state.openIndex]
        );
    }

    get definitions() {
        return this.props.record.data[this.props.name] || [];
    }

    typeLabel(type) {
        return this.typeLabels[type] || type;
    }

    update(definitions) {
        return this.props.record.update({
            [this.props.name]: definitions.map((d) => pick(d, ...DEFINITION_KEYS)),
        });
    }

    onAdd() {
        const definitions = this.definitions;
        this.update([
            ...definitions,
            { name: uuid(), string: _t("Field %s", definitions.length + 1), type: "char" },
        ]);
        this.state.openIndex = definitions.length;
    }

    onEdit(ev, index) {
        this.openDefinition(ev.currentTarget, index, false);
    }

    openDefinition(target, index, isNewlyCreated) {
        const current = { index };
        const original = this.definitions[index];
        this.popover.open(target, {
            readonly: this.props.readonly,
            canChangeDefinition: !this.props.readonly,
            propertyDefinition: original,
            context: this.props.context || {},
            isNewlyCreated,
            propertyIndex: index,
            propertiesSize: this.definitions.length,
            onChange: (definition) => this.onChange(current, original.name, definition),
            onDelete: () => this.onDelete(current.index),
            onPropertyMove: (direction) => {
                current.index = this.move(current.index, direction === "up" ? -1 : 1);
            },
        });
    }

    onChange(current, originalName, definition) {
        const saved = this.saved[originalName];
        const retyped =
            saved && (saved.type !== definition.type || saved.comodel !== definition.comodel);
        current.newName = retyped ? current.newName || uuid() : undefined;
        const definitions = [...this.definitions];
        definitions[current.index] = { ...definition, name: current.newName || originalName };
        this.update(definitions);
    }

    move(index, offset) {
        const target = index + offset;
        const definitions = [...this.definitions];
        if (target < 0 || target >= definitions.length) {
            return index;
        }
        [definitions[index], definitions[target]] = [definitions[target], definitions[index]];
        this.update(definitions);
        return target;
    }

    onDelete(index) {
        this.popover.close();
        const definition = this.definitions[index];
        this.dialog.add(ConfirmationDialog, {
            title: _t("Delete Custom Field"),
            body: _t(
                "Delete the custom field “%(field)s”? Its values on the opportunities of this pipeline are lost when you save.",
                { field: definition.string }
            ),
            confirmLabel: _t("Delete"),
            confirm: () => this.update(this.definitions.filter((d) => d !== definition)),
            cancel: () => {},
        });
    }
}

registry.category("fields").add("partner_opportunity_properties_definition", {
    component: PropertiesDefinitionField,
    displayName: _t("Custom fields"),
    supportedTypes: ["properties_definition"],
    extractProps: (fieldInfo, dynamicInfo) => ({ context: dynamicInfo.context }),
});
