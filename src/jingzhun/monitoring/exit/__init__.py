"""The monitoring part `exit` (精准退出): actions, queries, views and hooks of this part live in this package;
its models in `jingzhun.monitoring.models.exit`, its URLs in `jingzhun.monitoring.urls_exit`."""
