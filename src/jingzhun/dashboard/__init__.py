"""一张图: county, township and village dashboards, the offline map, the 工作台 home and to-dos."""
