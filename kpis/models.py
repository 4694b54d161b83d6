"""Strategy plans, the six steps, engagement value and KPIs arrive with the strategy issue."""
