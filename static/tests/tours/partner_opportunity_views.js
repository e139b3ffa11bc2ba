import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** F5: the pipeline form lists the custom fields of its opportunities and adds one. */
registry.category("web_tour.tours").add("partner_opportunity_pipeline_properties", {
    steps: () => [
        {
            content: "open the Custom Fields tab of the pipeline",
            trigger: ".o_notebook .nav-link:contains('Custom Fields')",
            run: "click",
        },
        {
            content: "the field defined earlier is listed with its type",
            trigger: ".o_partner_opportunity_property:has(.o_partner_opportunity_property_label:contains('Licences')) .o_partner_opportunity_property_type:contains('Integer')",
        },
        {
            content: "add a custom field",
            trigger: ".o_partner_opportunity_property_add",
            run: "click",
        },
        {
            content: "Odoo's property editor opens on the new field: name it",
            trigger: ".o_property_field_popover .o_field_property_definition_header",
            run: "edit Region",
        },
        {
            content: "make it a checkbox",
            trigger: ".o_property_field_popover .o_field_property_definition_type button",
            run: "click",
        },
        {
            trigger: ".o_field_property_definition_type_menu .dropdown-item:contains('Checkbox')",
            run: "click",
        },
        {
            content: "close the editor",
            trigger: ".o_form_view .oe_title h1",
            run: "click",
        },
        {
            content: "the new field is in the list, after the first one",
            trigger: ".o_partner_opportunity_property:eq(1):has(.o_partner_opportunity_property_label:contains('Region')) .o_partner_opportunity_property_type:contains('Checkbox')",
        },
        ...stepUtils.saveForm(),
    ],
});
