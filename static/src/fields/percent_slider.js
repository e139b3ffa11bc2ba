import { registry } from "@web/core/registry";
import { IntegerField, integerField } from "@web/views/fields/integer/integer_field";

/** The probability as a slider from 0 to 100 with its value beside (D1). */
export class PercentSliderField extends IntegerField {
    static template = "partner_opportunity.PercentSliderField";

    onSlide(ev) {
        this.props.record.update({ [this.props.name]: parseInt(ev.target.value, 10) });
    }
}

registry.category("fields").add("partner_opportunity_slider", {
    ...integerField,
    component: PercentSliderField,
});
