// Helpers for the screen module's tests: paths to the shared sanctions files, generated list files.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace vw::screen::test {

inline std::filesystem::path sanctions_dir() {
    return std::filesystem::path(VW_SHARED_DIR) / "data/sanctions";
}

inline std::filesystem::path temp_dir(const std::string& name) {
    const auto d = std::filesystem::path(VW_TEST_TMP) / "screen" / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

inline std::string write_file(const std::filesystem::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p.string();
}

/// An OFAC sdn.xml in the published sdnList schema (the real file's element names), with a vessel,
/// a company and a person.
inline std::string generated_ofac_sdn_xml() {
    return R"(<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>05/03/2024</Publish_Date><Record_Count>3</Record_Count></publshInformation>
  <sdnEntry>
    <uid>37059</uid><lastName>ANGARA</lastName><sdnType>Vessel</sdnType>
    <programList><program>RUSSIA-EO14024</program></programList>
    <idList>
      <id><uid>1</uid><idType>Vessel Registration Identification</idType><idNumber>IMO 9179842</idNumber></id>
      <id><uid>2</uid><idType>MMSI</idType><idNumber>273355410</idNumber></id>
      <id><uid>3</uid><idType>Former Vessel Flag</idType><idNumber>Sierra Leone</idNumber></id>
    </idList>
    <akaList><aka><uid>4</uid><type>f.k.a.</type><category>strong</category><lastName>HAI PENG 1</lastName></aka></akaList>
    <vesselInfo><callSign>UBCU7</callSign><vesselType>Roll-on Roll-off</vesselType><vesselFlag>Russia</vesselFlag>
      <vesselOwner>M LEASING LLC</vesselOwner></vesselInfo>
    <remarks>(Linked To: M LEASING LLC)</remarks>
  </sdnEntry>
  <sdnEntry>
    <uid>37049</uid><lastName>TRANSMORFLOT LLC</lastName><sdnType>Entity</sdnType>
    <programList><program>RUSSIA-EO14024</program></programList>
    <idList><id><uid>5</uid><idType>Tax ID No.</idType><idNumber>2536010523</idNumber><idCountry>Russia</idCountry></id></idList>
    <akaList><aka><uid>6</uid><type>a.k.a.</type><category>strong</category><lastName>OOO TRANSMORFLOT</lastName></aka></akaList>
    <addressList><address><uid>7</uid><city>Vladivostok</city><country>Russia</country></address></addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>9639</uid><firstName>Ismail Abdul Salah</firstName><lastName>HANIYA</lastName><sdnType>Individual</sdnType>
    <programList><program>SDGT</program></programList>
    <akaList><aka><uid>8</uid><type>a.k.a.</type><category>weak</category><lastName>HANIYYA</lastName><firstName>Ismaeel</firstName></aka></akaList>
  </sdnEntry>
</sdnList>
)";
}

/// An EU Financial Sanctions Files export (attributes as the published FSF schema has them).
inline std::string generated_eu_xml() {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-05-03T10:00:00.000+02:00" globalFileId="1">
  <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.9999.11" logicalId="9999" designationDate="2022-03-15">
    <remark>Shipping company</remark>
    <regulation regulationType="amendment" organisationType="commission" publicationDate="2022-03-15" numberTitle="2022/427" programme="RUS"/>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias firstName="" middleName="" lastName="" wholeName="Sovcomflot PAO" function="" gender="" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="1"/>
    <nameAlias wholeName="ПАО Совкомфлот" strong="true" logicalId="2"/>
    <nameAlias wholeName="SCF" strong="false" logicalId="3"/>
    <identification identificationTypeCode="regnumber" identificationTypeDescription="Registration Number" number="1027739028712" countryIso2Code="RU" logicalId="4"/>
    <address city="Saint Petersburg" street="" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" logicalId="5"/>
  </sanctionEntity>
  <sanctionEntity euReferenceNumber="EU.8888.22" logicalId="8888" designationDate="2014-03-17">
    <regulation programme="UKR" numberTitle="269/2014"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias firstName="Arkady" middleName="Romanovich" lastName="Rotenberg" wholeName="Arkady Romanovich Rotenberg" strong="true" logicalId="6"/>
    <citizenship countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" logicalId="7"/>
    <identification identificationTypeCode="passport" number="100000000" countryIso2Code="RU" logicalId="8"/>
  </sanctionEntity>
</export>
)";
}

/// A UK Sanctions List XML ship designation with the elements the published format uses.
inline std::string generated_uk_xml() {
    return R"(<?xml version="1.0" encoding="utf-8"?>
<Designations>
  <DateGenerated>03/05/2024</DateGenerated>
  <Designation>
    <DateDesignated>09/05/2024</DateDesignated>
    <UniqueID>RUS9999</UniqueID>
    <Names>
      <Name><Name6>LADY R</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name6>LADY ROSE</Name6><NameType>Previous Name</NameType></Name>
    </Names>
    <RegimeName>The Russia (Sanctions) (EU Exit) Regulations 2019</RegimeName>
    <IndividualEntityShip>Ship</IndividualEntityShip>
    <ShipDetails><Ship>
      <IMONumbers><IMONumber>9161003</IMONumber></IMONumbers>
      <CurrentBelievedFlagOfShips><CurrentBelievedFlagOfShip>Russia</CurrentBelievedFlagOfShip></CurrentBelievedFlagOfShips>
    </Ship></ShipDetails>
  </Designation>
</Designations>
)";
}

}  // namespace vw::screen::test
