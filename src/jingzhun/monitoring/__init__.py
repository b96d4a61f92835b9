"""精准退出 (exit verification), 返贫预警 (monitoring cases) and 数据比对 (cross-department lists and
疑点) — POLICY.md §8."""
