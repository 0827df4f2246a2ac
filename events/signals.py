"""What events announces to the apps above it (they connect to these; events imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that records a new registration, with `registration`, before its seats
# are decided under the event's lock (so not yet saved: no pk, no state); a refused or rolled-back
# registration rolls back what receivers did. The newsletter subscribes a registrant who ticked its box
# (newsletter.signal_handlers).
registration_created = Signal()
