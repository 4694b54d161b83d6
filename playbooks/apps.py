from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "playbooks"

    def ready(self) -> None:
        from workspaces.scope import register_client_owned

        # URL ids of this app's client-owned rows, for the client wall's 404s.
        register_client_owned("campaign_id", "playbooks.CampaignPlan", "client")
        register_client_owned("document_id", "playbooks.Document", "client")
