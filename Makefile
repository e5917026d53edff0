# SPDX-License-Identifier: GPL-2.0-or-later
# Top-level entry points.  The real build is meson+ninja in $(BUILD_DIR);
# this file installs dependencies, configures when needed and runs things.

SRC_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD_DIR ?= $(SRC_DIR)/build

-include $(BUILD_DIR)/config.mak

NINJA ?= ninja
IOTEST_ARGS ?=

.PHONY: all build check check-unit check-iotests demo clean distclean deps

all: build

deps:
	@$(SRC_DIR)/scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	@mkdir -p $(BUILD_DIR)
	cd $(BUILD_DIR) && $(SRC_DIR)/configure $(CONFIGURE_ARGS)

build: $(BUILD_DIR)/build.ninja
	@$(NINJA) -C $(BUILD_DIR)

# Everything: unit tests and iotests, with one closing summary line.
check: deps
	@$(MAKE) --no-print-directory -f $(SRC_DIR)/Makefile BUILD_DIR=$(BUILD_DIR) build
	@python3 $(SRC_DIR)/scripts/run-checks.py --build-dir $(BUILD_DIR) $(IOTEST_ARGS)

check-unit: build
	@python3 $(SRC_DIR)/scripts/run-checks.py --build-dir $(BUILD_DIR) --unit-only

check-iotests: build
	@python3 $(SRC_DIR)/scripts/run-checks.py --build-dir $(BUILD_DIR) --iotests-only $(IOTEST_ARGS)

demo: deps
	@$(MAKE) --no-print-directory -f $(SRC_DIR)/Makefile BUILD_DIR=$(BUILD_DIR) build
	@$(SRC_DIR)/scripts/demo.sh $(BUILD_DIR)

clean:
	@if [ -f $(BUILD_DIR)/build.ninja ]; then $(NINJA) -C $(BUILD_DIR) clean; fi

distclean:
	rm -rf $(SRC_DIR)/build
