"""Province scale (issue #18): month runs over county-partitioned Parquet datasets, county by county on one
machine (Polars, streaming) or on Apache Spark — both through the same Polars rules as ``jingzhun entitle``.

Pure: no Django. ``pyspark`` is imported only by :mod:`jingzhun.scale.spark_month` (the ``spark`` dependency
group, installed by ``make test`` and by ``uv sync --group spark``).
"""
