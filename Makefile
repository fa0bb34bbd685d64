# PGXS build of the pg_funnel extension: `make && make install`, then
# `make installcheck` against a running server (see scripts/test.sh).
EXTENSION   = pg_funnel
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
MODULE_big  = pg_funnel

OBJS        = $(patsubst %.cpp,%.o,$(sort $(wildcard src/core/*.cpp) $(wildcard src/pg/*.cpp)))

# The install script is assembled from one SQL file per function family.
SQL_PARTS   = $(sort $(wildcard src/sql/*.sql))
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql
DATA        = $(wildcard upgrade/$(EXTENSION)--*--*.sql)

REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION)

PG_CPPFLAGS = -Isrc
PG_CXXFLAGS = -std=c++17 -Wno-register -Wall -Wextra -Wno-unused-parameter $(if $(WERROR),-Werror)
SHLIB_LINK  = -lstdc++
EXTRA_CLEAN = $(DATA_built) results regression.diffs regression.out

# JIT inlining of this module buys nothing and PGXS would compile the C++ to
# bitcode without our flags; skip the bitcode.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(SQL_PARTS) $(EXTENSION).control
	( printf '%s\n' '-- complain if script is sourced in psql, rather than via CREATE EXTENSION' \
	    '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit' ''; \
	  for f in $(SQL_PARTS); do cat $$f; echo; done ) > $@

# Rebuild objects when a header changes.
override CXXFLAGS += -MMD -MP  # pgxs.mk sets CXXFLAGS with override: a plain += would be ignored
-include $(OBJS:.o=.d)
EXTRA_CLEAN += $(OBJS:.o=.d)
