"""E-mail bulletin to the channel's confirmed subscribers, sent through Django's mailer."""
