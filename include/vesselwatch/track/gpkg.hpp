// A minimal OGC GeoPackage writer (OGC 12-128r18, GeoPackage 1.3): a SQLite file with the required
// metadata tables (gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns), feature tables whose
// geometries are GeoPackage binary blobs (header "GP" + envelope + little-endian WKB) written by this
// code, and attribute tables without geometry. WGS 84 (EPSG:4326) only: every geometry is lon/lat degrees.
// Used by `vesselwatch track --format gpkg`; later stages (events, evidence) add their own layers with it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/util/sqlite.hpp"

namespace vw::track::gpkg {

/// EPSG code of WGS 84 geographic 2D, the only spatial reference this writer uses.
inline constexpr std::int32_t kSrsWgs84 = 4326;
/// PRAGMA application_id of a GeoPackage: the ASCII bytes "GPKG".
inline constexpr std::int32_t kApplicationId = 0x47504B47;
/// PRAGMA user_version of GeoPackage 1.3.0.
inline constexpr std::int32_t kUserVersion = 10300;

enum class GeometryType : std::uint8_t { point, linestring };
enum class FieldType : std::uint8_t { integer, real, text, datetime };

struct Field {
    std::string name;
    FieldType type = FieldType::text;
};

/// A lon/lat pair in degrees.
struct LonLat {
    double lon = 0;
    double lat = 0;
};

/// GeoPackage binary geometry (header with xy envelope + WKB), exposed for tests and other writers.
[[nodiscard]] std::string point_blob(LonLat p);
/// A line string; needs at least 2 points (OGC simple features), throws vw::Error otherwise.
[[nodiscard]] std::string linestring_blob(std::span<const LonLat> points);

class Writer;

/// One table of the GeoPackage. Values of a row are set by field index (0-based, in the order given
/// to add_*_layer), then `insert` writes the row; unset values are NULL.
class Layer {
public:
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;
    ~Layer();

    Layer& set(std::size_t field, std::int64_t v);
    Layer& set(std::size_t field, double v);
    Layer& set(std::size_t field, std::string_view v);
    Layer& set_null(std::size_t field);
    /// Inserts a feature with a point geometry (feature layers of type point).
    void insert_point(LonLat p);
    /// Inserts a feature with a line geometry (feature layers of type linestring).
    void insert_line(std::span<const LonLat> points);
    /// Inserts a row without geometry (attribute tables).
    void insert();

    [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

private:
    friend class Writer;
    Layer(Writer& w, std::string name, std::optional<GeometryType> geometry, std::size_t fields);
    void extend(double lon, double lat) noexcept;
    void write_row(const std::string* geometry_blob);

    Writer& writer_;
    std::string name_;
    std::optional<GeometryType> geometry_;
    std::size_t fields_;
    std::optional<db::Statement> insert_;
    std::uint64_t rows_ = 0;
    double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
    bool has_extent_ = false;
};

/// Creates a new GeoPackage file (an existing file at `path` is replaced). Everything is written in one
/// transaction committed by finish(); a Writer destroyed without finish() leaves an empty GeoPackage.
class Writer {
public:
    explicit Writer(const std::string& path);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    /// A feature table `name` (fid INTEGER PRIMARY KEY, geom, then the fields), registered in
    /// gpkg_contents and gpkg_geometry_columns. Names: [A-Za-z_][A-Za-z0-9_]*.
    Layer& add_feature_layer(std::string_view name, GeometryType geometry, const std::vector<Field>& fields,
                             std::string_view description);
    /// A table without geometry (gpkg_contents data_type "attributes").
    Layer& add_attribute_table(std::string_view name, const std::vector<Field>& fields, std::string_view description);

    /// Writes the layers' extents into gpkg_contents and commits.
    void finish();

    [[nodiscard]] db::Database& database() noexcept { return db_; }

private:
    Layer& add_table(std::string_view name, std::optional<GeometryType> geometry, const std::vector<Field>& fields,
                     std::string_view description);

    db::Database db_;
    std::vector<std::unique_ptr<Layer>> layers_;
    bool in_transaction_ = false;
};

}  // namespace vw::track::gpkg
