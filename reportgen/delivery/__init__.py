"""The ledger, the outbox, mail, the schedule, the watched folder and the run lock."""
