"""An email backend for the tests of sending: the locmem outbox, except that an address with
"bounce" in it is refused, as an SMTP server refuses a recipient."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            refused = [address for address in message.to if "bounce" in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused({refused[0]: (550, b"No such user")})
        return super().send_messages(messages)
