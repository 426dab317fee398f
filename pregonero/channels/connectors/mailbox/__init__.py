"""Public information mailbox: citizens' e-mails read over IMAP, answered over SMTP."""
