from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"

    def ready(self) -> None:
        from workspaces.scope import register_client_owned

        # URL ids of this app's client-owned rows, for the client wall's 404s.
        register_client_owned("analysis_id", "insights.SegmentAnalysis", "client")
        register_client_owned("upload_id", "insights.ChunkedUpload", "client")
        register_client_owned("import_id", "insights.ListeningImport", "client")
