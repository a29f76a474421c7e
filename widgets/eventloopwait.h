#pragma once

#include <chrono>
#include <functional>

namespace vigil::widgets {

/// Runs a nested event loop until @p done() is true or @p limit passes. Only for destructors that
/// must let coroutines referring to the object wind down first; everything else awaits instead.
void waitUntil(const std::function<bool()> &done, std::chrono::milliseconds limit);

} // namespace vigil::widgets
