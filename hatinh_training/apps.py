from django.apps import AppConfig


class HatinhTrainingConfig(AppConfig):
    """The project package as an app, so its signal receivers connect at start-up."""

    name = "hatinh_training"
    verbose_name = "Hà Tĩnh"

    def ready(self):
        pass
