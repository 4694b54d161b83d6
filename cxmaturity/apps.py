from django.apps import AppConfig


class CxmaturityConfig(AppConfig):
    name = "cxmaturity"
    verbose_name = "cxmaturity"
