#pragma once

// The embedding API in one include: a server with its own commands and
// statistics (server/server.hpp), the command types (mi/command.hpp,
// mi/async.hpp), the reply tree (tree/tree.hpp), statistics
// (stats/statistics.hpp) and configuration loading (config/load_config.hpp).
#include "config/load_config.hpp"
#include "config/settings.hpp"
#include "core/version.hpp"
#include "mi/async.hpp"
#include "mi/command.hpp"
#include "mi/registry.hpp"
#include "server/server.hpp"
#include "stats/statistics.hpp"
#include "tree/tree.hpp"
