// Fuzz target: bytes -> rows of a NOAA MarineCadastre CSV (the header is fixed, the rows fuzzed).
#include "fuzz_ingest_csv_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vw::fuzz::run_dialect(vw::track::InputFormat::marinecadastre,
                          "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
                          "Length,Width,Draft,Cargo,TransceiverClass",
                          data, size);
    return 0;
}
