"""交口县's 一保通: policies per household per year, covers, premiums and claims (POLICY.md §6)."""
