// What changed between two publications of a list: entities added, removed, and changed (by the list's
// own id), with the fields that changed — analysts track new designations.
#pragma once

#include <string>
#include <vector>

#include "vesselwatch/screen/entity.hpp"

namespace vw::screen {

struct EntityChange {
    const Entity* before = nullptr;
    const Entity* after = nullptr;
    std::vector<std::string>
        fields;  ///< "names", "ids", "programs", "countries", "flag", "links", "schema", ...
};

struct ListDiff {
    std::vector<const Entity*> added;    ///< in the new list only
    std::vector<const Entity*> removed;  ///< in the old list only (delisted)
    std::vector<EntityChange> changed;
    std::size_t unchanged = 0;
};

/// Compares by source_id; results are ordered by source_id. The lists must outlive the result.
[[nodiscard]] ListDiff diff_lists(const std::vector<Entity>& before, const std::vector<Entity>& after);

}  // namespace vw::screen
