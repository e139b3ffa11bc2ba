import { BaseImportModel } from "@base_import/import_model";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

/**
 * The import dialog tells how many automatic opportunities the imported
 * customers got, once the import succeeded: each request of a batched import
 * returns its count (base_import.import.execute_import), added up here.
 */
patch(BaseImportModel.prototype, {
    async executeImport(isTest) {
        this.partnerOpportunityCount = 0;
        const result = await super.executeImport(...arguments);
        if (!isTest && !result.res.hasError && this.partnerOpportunityCount) {
            const message =
                this.partnerOpportunityCount === 1
                    ? _t("1 opportunity was created for the new customer: it is on the board.")
                    : _t(
                          "%s opportunities were created for the new customers: they are on the board.",
                          this.partnerOpportunityCount
                      );
            this.notificationService.add(message, { type: "info" });
        }
        return result;
    },

    async _callImport() {
        const result = await super._callImport(...arguments);
        this.partnerOpportunityCount += result.partner_opportunity_count || 0;
        return result;
    },
});
