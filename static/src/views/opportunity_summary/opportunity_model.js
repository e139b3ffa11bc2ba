import { RelationalModel } from "@web/model/relational_model/relational_model";

/**
 * The relational model of the board and the list, telling the summary when a
 * saved record (a drag and drop, an inline edit, a multi-edit) changed the
 * figures it shows.
 */
export class OpportunityModel extends RelationalModel {
    static CHANGED = "PARTNER_OPPORTUNITY:CHANGED";

    setup() {
        super.setup(...arguments);
        const { onRecordSaved, onSavedMulti } = this.hooks;
        const changed = () => this.bus.trigger(OpportunityModel.CHANGED);
        this.hooks.onRecordSaved = async (...args) => {
            await onRecordSaved(...args);
            changed();
        };
        this.hooks.onSavedMulti = async (...args) => {
            await onSavedMulti(...args);
            changed();
        };
    }
}
