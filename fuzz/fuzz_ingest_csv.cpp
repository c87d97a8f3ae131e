// Fuzz target: bytes -> format detection of the first line, then a --columns CSV whose header is the
// input's first line (the fixed mapping below finds its columns or rejects the header) with a time
// pattern, then the rows. Also exercises the --columns and --time-format parsers on the first line, and
// the automatic time reader with and without its date memo on every row.
#include "fuzz_ingest_csv_common.hpp"
#include "vesselwatch/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto nl = in.find('\n');
    const std::string_view header = in.substr(0, nl);
    const std::string_view rows = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    (void)vw::track::detect_input_format(header);
    try {  // the first line as a --columns / --time-format value: ConfigError is the expected rejection
        (void)vw::track::parse_column_spec(header);
    } catch (const vw::ConfigError&) {
    }
    try {
        const vw::track::TimeFormat tf{std::string(header)};
        (void)tf.parse(rows.substr(0, 64));
    } catch (const vw::ConfigError&) {
    }
    // The automatic time reader with its date memo against without: each row's first 19 bytes and the
    // whole row, in order (so that dates repeat as in a dump).
    vw::track::RowDateMemo memo;
    for (std::string_view rest = rows; !rest.empty();) {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        for (const std::string_view t : {line.substr(0, 19), line})
            if (vw::track::parse_row_time(t, &memo) != vw::track::parse_row_time(t)) __builtin_trap();
    }
    vw::track::RowOptions o;
    o.columns = vw::track::parse_column_spec("mmsi=m,time=t,lat=y,lon=x,sog=s,name=n,imo=i,status=st,ship_type=ty");
    o.time_format = vw::track::TimeFormat("%d/%m/%Y %H:%M:%S%z");
    std::string missing;
    if (const auto reader = vw::track::CsvRowReader::from_header(vw::track::InputFormat::csv, header, o, missing))
        vw::fuzz::run_csv_rows(*reader, rows);
    return 0;
}
