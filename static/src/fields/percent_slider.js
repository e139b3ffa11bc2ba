import { useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { IntegerField, integerField } from "@web/views/fields/integer/integer_field";

/**
 * The probability as a slider from 0 to 100 with a number beside it (D1).
 * The number follows the handle while it is dragged, the record takes the
 * value on release (one onchange, not one per pixel), and the number can be
 * typed for a value the slider hardly reaches.
 */
export class PercentSliderField extends IntegerField {
    static template = "partner_opportunity.PercentSliderField";

    setup() {
        super.setup();
        this.slider = useState({ value: null });
    }

    get shownValue() {
        return this.slider.value ?? this.props.record.data[this.props.name];
    }

    onSlide(ev) {
        this.slider.value = parseInt(ev.target.value, 10);
    }

    onSlideEnd(ev) {
        this.slider.value = null;
        this.setProbability(ev.target.value);
    }

    onType(ev) {
        const value = this.setProbability(ev.target.value);
        // An out of range or empty entry shows the value kept.
        ev.target.value = value;
    }

    setProbability(text) {
        const number = Math.round(Number(text));
        const current = this.props.record.data[this.props.name];
        const value = text === "" || Number.isNaN(number) ? current : Math.min(100, Math.max(0, number));
        if (value !== current) {
            this.props.record.update({ [this.props.name]: value });
        }
        return value;
    }
}

registry.category("fields").add("partner_opportunity_slider", {
    ...integerField,
    component: PercentSliderField,
});
