"""Everything that tells a person something: ladder decisions, e-mails, the leaders' board."""
