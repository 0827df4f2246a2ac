"""Admin panels with labels that read naturally in French and English."""

from wagtail.admin.panels import InlinePanel as WagtailInlinePanel


class InlinePanel(WagtailInlinePanel):
    """Wagtail's InlinePanel, whose add button says `add_label` ("Ajouter une personne-ressource")
    instead of Wagtail's "Add {label}" (in French "Ajouter un(e) {label}", which cannot agree in gender
    or number). Give `heading` in the plural and `label` in the singular: each item is titled
    "{label} 1", "{label} 2"…"""

    def __init__(self, *args, add_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(WagtailInlinePanel.BoundPanel):
        template_name = "website/panels/inline_panel.html"
