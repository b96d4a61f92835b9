# The everyday commands. `make demo` and `make test` work on a fresh machine with nothing but the repo.
.PHONY: demo test install lint format bench

export UV_PYTHON_DOWNLOADS := never

install:
	scripts/ensure-uv.sh

demo: install
	scripts/ensure-font.sh
	uv run jingzhun demo $(if $(HOUSEHOLDS),--households $(HOUSEHOLDS),) $(if $(PORT),--port $(PORT),)

test:
	scripts/test.sh

lint: install
	uv run ruff check src tests bench
	uv run ruff format --check src tests bench
	uv run mypy
	uv run lint-imports

format: install
	uv run ruff format src tests bench
	uv run ruff check --fix src tests bench

bench: install
	for b in bench/bench_*.py; do uv run python $$b || exit 1; done
