// Fuzz target: bytes -> rows of a Danish Maritime Authority CSV (the header is fixed, the rows fuzzed).
#include "fuzz_ingest_csv_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vw::fuzz::run_dialect(vw::track::InputFormat::dma,
                          "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
                          "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing "
                          "device,Draught,Destination,ETA,Data source type,A,B,C,D",
                          data, size);
    return 0;
}
