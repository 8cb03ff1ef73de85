from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backups and restores of the whole site: the database and the certificates."""

    name = "operations"
    verbose_name = "Operations"
