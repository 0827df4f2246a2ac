from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MeasureConfig(AppConfig):
    name = "measure"
    label = "measure"
    verbose_name = pgettext_lazy("tableau de bord", "Mesure")
