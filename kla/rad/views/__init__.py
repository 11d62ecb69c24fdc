"""The RAD KLA pages: plans, the plan's tree and its forms, realisation per quarter, the budget page."""
