#include "vesselwatch/track/gpkg.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>

#include "vesselwatch/util/error.hpp"

namespace vw::track::gpkg {

namespace {

// GeoPackage binary header (OGC 12-128r18 §2.1.3): "GP", version 0, flags, srs_id, envelope.
constexpr std::uint8_t kGpVersion = 0;
constexpr std::uint8_t kFlagLittleEndian = 0x01;
constexpr std::uint8_t kFlagEnvelopeXy = 0x02;  // envelope indicator 1 (bits 1-3): minx, maxx, miny, maxy
// WKB (OGC 06-103r4): byte order 1 = little endian, geometry type codes.
constexpr std::uint8_t kWkbLittleEndian = 1;
constexpr std::uint32_t kWkbPoint = 1;
constexpr std::uint32_t kWkbLineString = 2;

constexpr std::string_view kWgs84Wkt =
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],"
    "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\","
    "0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],"
    "AUTHORITY[\"EPSG\",\"4326\"]]";

// Required tables and rows (OGC 12-128r18 Annex C, tables 21-23; §1.1.2.1.2 the three SRS rows).
constexpr std::string_view kMetadataSql = R"sql(
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
INSERT INTO gpkg_spatial_ref_sys VALUES('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',
  'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',
  'undefined geographic coordinate reference system');
)sql";

void put_u32(std::string& out, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) out += static_cast<char>((v >> (8 * k)) & 0xff);
}
void put_f64(std::string& out, double d) {
    const auto v = std::bit_cast<std::uint64_t>(d);
    for (int k = 0; k < 8; ++k) out += static_cast<char>((v >> (8 * k)) & 0xff);
}

void header(std::string& out, bool with_envelope) {
    out += 'G';
    out += 'P';
    out += static_cast<char>(kGpVersion);
    out += static_cast<char>(kFlagLittleEndian | (with_envelope ? kFlagEnvelopeXy : 0));
    put_u32(out, static_cast<std::uint32_t>(kSrsWgs84));
}

bool valid_name(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

std::string_view sql_type(FieldType t) {
    switch (t) {
        case FieldType::integer: return "INTEGER";
        case FieldType::real: return "DOUBLE";
        case FieldType::text: return "TEXT";
        case FieldType::datetime: return "DATETIME";
    }
    return "TEXT";
}

std::string_view geometry_name(GeometryType g) { return g == GeometryType::point ? "POINT" : "LINESTRING"; }

}  // namespace

std::string point_blob(LonLat p) {
    std::string out;
    out.reserve(8 + 21);
    header(out, false);  // a point's envelope is the point itself: optional, left out (as GDAL does)
    out += static_cast<char>(kWkbLittleEndian);
    put_u32(out, kWkbPoint);
    put_f64(out, p.lon);
    put_f64(out, p.lat);
    return out;
}

std::string linestring_blob(std::span<const LonLat> points) {
    if (points.size() < 2) throw Error("GeoPackage: a line string needs at least 2 points");
    double min_x = points[0].lon, max_x = min_x, min_y = points[0].lat, max_y = min_y;
    for (const LonLat& p : points) {
        min_x = std::min(min_x, p.lon);
        max_x = std::max(max_x, p.lon);
        min_y = std::min(min_y, p.lat);
        max_y = std::max(max_y, p.lat);
    }
    std::string out;
    out.reserve(8 + 32 + 9 + points.size() * 16);
    header(out, true);
    put_f64(out, min_x);
    put_f64(out, max_x);
    put_f64(out, min_y);
    put_f64(out, max_y);
    out += static_cast<char>(kWkbLittleEndian);
    put_u32(out, kWkbLineString);
    put_u32(out, static_cast<std::uint32_t>(points.size()));
    for (const LonLat& p : points) {
        put_f64(out, p.lon);
        put_f64(out, p.lat);
    }
    return out;
}

// ---- Layer ---------------------------------------------------------------------------------------------

Layer::Layer(Writer& w, std::string name, std::optional<GeometryType> geometry, std::size_t fields)
    : writer_(w), name_(std::move(name)), geometry_(geometry), fields_(fields) {
    std::string sql = "INSERT INTO \"" + name_ + "\" VALUES(NULL";
    const std::size_t n = fields_ + (geometry_ ? 1 : 0);
    for (std::size_t k = 0; k < n; ++k) sql += ", ?" + std::to_string(k + 1);
    sql += ")";
    insert_.emplace(writer_.database().prepare(sql));
}

Layer::~Layer() = default;

namespace {
int bind_index(std::size_t field, std::size_t fields, bool has_geometry) {
    if (field >= fields) throw Error("GeoPackage: field index " + std::to_string(field) + " out of range");
    return static_cast<int>(field) + (has_geometry ? 2 : 1);
}
}  // namespace

Layer& Layer::set(std::size_t field, std::int64_t v) {
    insert_->bind(bind_index(field, fields_, geometry_.has_value()), v);
    return *this;
}
Layer& Layer::set(std::size_t field, double v) {
    insert_->bind(bind_index(field, fields_, geometry_.has_value()), v);
    return *this;
}
Layer& Layer::set(std::size_t field, std::string_view v) {
    insert_->bind(bind_index(field, fields_, geometry_.has_value()), v);
    return *this;
}
Layer& Layer::set_null(std::size_t field) {
    insert_->bind_null(bind_index(field, fields_, geometry_.has_value()));
    return *this;
}

void Layer::extend(double lon, double lat) noexcept {
    if (!has_extent_) {
        min_x_ = max_x_ = lon;
        min_y_ = max_y_ = lat;
        has_extent_ = true;
        return;
    }
    min_x_ = std::min(min_x_, lon);
    max_x_ = std::max(max_x_, lon);
    min_y_ = std::min(min_y_, lat);
    max_y_ = std::max(max_y_, lat);
}

void Layer::write_row(const std::string* geometry_blob) {
    if (geometry_blob != nullptr) insert_->bind_blob(1, geometry_blob->data(), geometry_blob->size());
    insert_->run();
    insert_->reset();  // clears the bindings: unset values of the next row are NULL
    ++rows_;
}

void Layer::insert_point(LonLat p) {
    if (geometry_ != GeometryType::point) throw Error("GeoPackage: layer " + name_ + " does not hold points");
    const std::string blob = point_blob(p);
    extend(p.lon, p.lat);
    write_row(&blob);
}

void Layer::insert_line(std::span<const LonLat> points) {
    if (geometry_ != GeometryType::linestring) throw Error("GeoPackage: layer " + name_ + " does not hold lines");
    const std::string blob = linestring_blob(points);
    for (const LonLat& p : points) extend(p.lon, p.lat);
    write_row(&blob);
}

void Layer::insert() {
    if (geometry_) throw Error("GeoPackage: layer " + name_ + " needs a geometry");
    write_row(nullptr);
}

// ---- Writer --------------------------------------------------------------------------------------------

namespace {
std::string fresh_path(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
    return path;
}
}  // namespace

Writer::Writer(const std::string& path) : db_(fresh_path(path), db::OpenMode::read_write_create) {
    // db::Database prepares a vesselwatch project database (WAL journal, vw_schema); a GeoPackage is a
    // plain single-file SQLite database: rollback journal, no extra tables.
    db_.exec("PRAGMA journal_mode=DELETE; DROP TABLE IF EXISTS vw_schema;");
    db_.exec("PRAGMA application_id=" + std::to_string(kApplicationId) + "; PRAGMA user_version=" +
             std::to_string(kUserVersion) + ";");
    db_.exec("BEGIN");
    in_transaction_ = true;
    db_.exec(kMetadataSql);
    auto st = db_.prepare(
        "INSERT INTO gpkg_spatial_ref_sys VALUES('WGS 84 geodetic', ?1, 'EPSG', ?1, ?2, "
        "'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')");
    st.bind(1, static_cast<std::int64_t>(kSrsWgs84)).bind(2, kWgs84Wkt).run();
}

Writer::~Writer() {
    layers_.clear();  // finalize statements before the connection closes
    if (in_transaction_) {
        try {
            db_.exec("ROLLBACK");
        } catch (const Error&) {  // NOLINT(bugprone-empty-catch): nothing more to do in a destructor
        }
    }
}

Layer& Writer::add_table(std::string_view name, std::optional<GeometryType> geometry, const std::vector<Field>& fields,
                         std::string_view description) {
    if (!valid_name(name) || name.starts_with("gpkg_") || name.starts_with("rtree_"))
        throw Error("GeoPackage: invalid table name '" + std::string(name) + "'");
    std::string sql = "CREATE TABLE \"" + std::string(name) + "\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL";
    if (geometry) sql += ", geom " + std::string(geometry_name(*geometry));
    for (const Field& f : fields) {
        if (!valid_name(f.name) || f.name == "fid" || f.name == "geom")
            throw Error("GeoPackage: invalid field name '" + f.name + "'");
        sql += ", \"" + f.name + "\" " + std::string(sql_type(f.type));
    }
    sql += ")";
    db_.exec(sql);
    auto st = db_.prepare(
        "INSERT INTO gpkg_contents(table_name, data_type, identifier, description, srs_id) VALUES(?1, ?2, ?1, ?3, ?4)");
    st.bind(1, name).bind(2, std::string_view(geometry ? "features" : "attributes")).bind(3, description);
    if (geometry)
        st.bind(4, static_cast<std::int64_t>(kSrsWgs84));
    else
        st.bind_null(4);
    st.run();
    if (geometry) {
        auto gc = db_.prepare("INSERT INTO gpkg_geometry_columns VALUES(?1, 'geom', ?2, ?3, 0, 0)");
        gc.bind(1, name).bind(2, geometry_name(*geometry)).bind(3, static_cast<std::int64_t>(kSrsWgs84)).run();
    }
    layers_.push_back(std::unique_ptr<Layer>(new Layer(*this, std::string(name), geometry, fields.size())));
    return *layers_.back();
}

Layer& Writer::add_feature_layer(std::string_view name, GeometryType geometry, const std::vector<Field>& fields,
                                 std::string_view description) {
    return add_table(name, geometry, fields, description);
}

Layer& Writer::add_attribute_table(std::string_view name, const std::vector<Field>& fields,
                                   std::string_view description) {
    return add_table(name, std::nullopt, fields, description);
}

void Writer::finish() {
    if (!in_transaction_) return;
    auto st = db_.prepare(
        "UPDATE gpkg_contents SET min_x = ?2, min_y = ?3, max_x = ?4, max_y = ?5, "
        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?1");
    for (const auto& l : layers_) {
        st.bind(1, l->name_);
        if (l->has_extent_) {
            st.bind(2, l->min_x_).bind(3, l->min_y_).bind(4, l->max_x_).bind(5, l->max_y_);
        }
        st.run();
        st.reset();
    }
    db_.exec("COMMIT");
    in_transaction_ = false;
}

}  // namespace vw::track::gpkg
