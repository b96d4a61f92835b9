"""The monitoring app's models, one module per part: exit (精准退出), cases (返贫预警), crosscheck (数据比对)."""

from jingzhun.monitoring.models.cases import *  # noqa: F403
from jingzhun.monitoring.models.crosscheck import *  # noqa: F403
from jingzhun.monitoring.models.exit import *  # noqa: F403
