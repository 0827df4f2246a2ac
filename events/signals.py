"""What events announces to the apps above it (they connect to these; events imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that records a new registration, with `registration`. The newsletter
# subscribes a registrant who ticked its box (newsletter.signal_handlers).
registration_created = Signal()
