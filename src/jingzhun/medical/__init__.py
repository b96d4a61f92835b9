"""Hospitals, inpatient stays and their one-stop settlement records (POLICY.md §7), carried into the ledger."""
