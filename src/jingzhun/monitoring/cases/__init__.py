"""The monitoring part `cases` (返贫预警): actions, queries, views and hooks of this part live in this package;
its models in `jingzhun.monitoring.models.cases`, its URLs in `jingzhun.monitoring.urls_cases`."""
