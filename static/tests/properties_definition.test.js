import { expect, test } from "@odoo/hoot";
import { contains, mountView } from "@web/../tests/web_test_helpers";
import {
    definePartnerOpportunityModels,
    PartnerOpportunityPipeline,
} from "./partner_opportunity_test_helpers";

definePartnerOpportunityModels();

const ARCH = `
    <form>
        <field name="name"/>
        <field name="opportunity_properties_definition" widget="partner_opportunity_properties_definition"/>
    </form>`;

test("the custom fields of a pipeline are listed with their type", async () => {
    PartnerOpportunityPipeline._records[0].opportunity_properties_definition = [
        { name: "licences", string: "Licences", type: "integer" },
        { name: "region", string: "Region", type: "char" },
    ];
    await mountView({ type: "form", resModel: "partner.opportunity.pipeline", resId: 1, arch: ARCH });
    expect(".o_partner_opportunity_property_label").toHaveCount(2);
    expect(".o_partner_opportunity_property:first .o_partner_opportunity_property_label").toHaveText(
        "Licences"
    );
    expect(".o_partner_opportunity_property:first .o_partner_opportunity_property_type").toHaveText(
        "Integer"
    );
});

test("without a field, the widget says what custom fields are for", async () => {
    await mountView({ type: "form", resModel: "partner.opportunity.pipeline", resId: 2, arch: ARCH });
    expect(".o_partner_opportunity_properties_definition p").toHaveText(
        "No custom field yet. Custom fields show on the opportunities of this pipeline, and you can filter and group by them."
    );
});

test("an added field is listed, and the save sends it", async () => {
    await mountView({ type: "form", resModel: "partner.opportunity.pipeline", resId: 2, arch: ARCH });
    expect(".o_partner_opportunity_property").toHaveCount(0);
    await contains(".o_partner_opportunity_property_add").click();
    expect(".o_partner_opportunity_property").toHaveCount(1);
    expect(".o_partner_opportunity_property_label").toHaveText("Field 1");
    await contains(".o_form_button_save").click();
    const [definition] = PartnerOpportunityPipeline._records[1].opportunity_properties_definition;
    expect([definition.string, definition.type]).toEqual(["Field 1", "char"]);
});

test("deleting a field asks first", async () => {
    PartnerOpportunityPipeline._records[0].opportunity_properties_definition = [
        { name: "licences", string: "Licences", type: "integer" },
    ];
    await mountView({ type: "form", resModel: "partner.opportunity.pipeline", resId: 1, arch: ARCH });
    await contains(".o_partner_opportunity_property_delete").click();
    expect(".modal-body").toHaveText(
        "Delete the custom field “Licences”? Its values on the opportunities of this pipeline are lost when you save."
    );
    await contains(".modal-footer .btn-primary").click();
    expect(".o_partner_opportunity_property").toHaveCount(0);
});
