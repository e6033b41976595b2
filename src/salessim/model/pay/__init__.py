"""Pay: crediting, plans, periods and the ledger; ``payroll.Payroll`` owns the rest."""
