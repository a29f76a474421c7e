// SPDX-License-Identifier: Apache-2.0
// Dashboard files come from users: any bytes must give a config or a field-named error.
#include "fuzzinput.h"

#include "dashboard/dashboardconfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vigil::dashboard::ConfigError error;
    if (const auto config =
            vigil::dashboard::parseDashboard(vigil::fuzz::bytes(data, size), &error)) {
        // Whatever parses must survive a round trip unchanged in shape.
        const auto again =
            vigil::dashboard::parseDashboard(vigil::dashboard::serializeDashboard(*config), &error);
        if (!again || again->sensors.size() != config->sensors.size() ||
            again->charts != config->charts)
            __builtin_trap();
    } else if (error.message.isEmpty()) {
        __builtin_trap(); // a refusal always says why
    }
    return 0;
}
