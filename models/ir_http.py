from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        # The board's figures as the user left them (B1), without a request of
        # the board's own.
        result = super().session_info()
        if self.env.user._is_internal():
            result["partner_opportunity_board_figure"] = (
                self.env.user.partner_opportunity_board_figure
            )
        return result
