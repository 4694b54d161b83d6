from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"

    def ready(self) -> None:
        from workspaces.scope import register_client_owned

        # URL ids of this app's client-owned rows, for the client wall's 404s.
        register_client_owned("plan_id", "kpis.StrategyPlan", "client")
        register_client_owned("kpi_id", "kpis.KPI", "plan__client")
        register_client_owned("measurement_id", "kpis.Measurement", "kpi__plan__client")
