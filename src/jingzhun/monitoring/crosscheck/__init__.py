"""The monitoring part `crosscheck` (数据比对): actions, queries, views and hooks of this part live in this package;
its models in `jingzhun.monitoring.models.crosscheck`, its URLs in `jingzhun.monitoring.urls_crosscheck`."""
