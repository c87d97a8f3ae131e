// Positional binding of a whole row (?1, ?2, ...) for the screening store: one call instead of a chain
// of bind(i, ...) per column, with unsigned counts and sizes converted to SQLite's int64.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "vesselwatch/util/sqlite.hpp"

namespace vw::screen::sql {

template <class T>
void bind_value(db::Statement& st, int i, const T& v) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        st.bind(i, static_cast<std::int64_t>(v));
    else if constexpr (std::is_floating_point_v<T>)
        st.bind(i, static_cast<double>(v));
    else
        st.bind(i, std::string_view(v));
}

/// Binds `values` to ?1, ?2, ... in order.
template <class... T>
db::Statement& bind_row(db::Statement& st, const T&... values) {
    int i = 0;
    (bind_value(st, ++i, values), ...);
    return st;
}

/// Binds, runs and resets a statement that writes one row (INSERT, UPDATE, DELETE).
template <class... T>
void write_row(db::Statement& st, const T&... values) {
    bind_row(st, values...);
    st.run();
    st.reset();
}

}  // namespace vw::screen::sql
