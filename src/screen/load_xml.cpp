// The XML list formats, each walked once with XmlEvents:
//   OFAC sdn.xml / consolidated.xml  sdnList/sdnEntry (uid, firstName, lastName, sdnType, programList,
//                                    idList/id, akaList/aka, addressList, nationalityList, vesselInfo)
//   UN consolidated list             CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL, ENTITIES/ENTITY
//   UK Sanctions List                Designations/Designation (Names/Name, ShipDetails/Ship, ...)
//   EU Financial Sanctions Files     export/sanctionEntity (attributes: nameAlias, citizenship, ...)
#include <cctype>
#include <string>

#include "entity_build.hpp"
#include "vesselwatch/screen/loaders.hpp"
#include "vesselwatch/screen/xml_events.hpp"
#include "vesselwatch/util/error.hpp"

namespace vw::screen {

namespace {

using build::add_country;
using build::add_id;
using build::add_name;
using build::add_program;
using build::iso_date;
using build::join_names;

void require_root(const XmlEvents& x, std::string_view name, std::string_view want, const char* format) {
    if (x.path().size() == 1 && name != want)
        x.fail(std::string("root element is <") + std::string(name) + ">, expected <" + std::string(want) +
               "> (" + format + ")");
}

IdKind ofac_id_kind(std::string_view type) {
    if (type == "Vessel Registration Identification") return IdKind::imo;
    if (type == "MMSI") return IdKind::mmsi;
    if (type == "Registration Number" || type == "Registration ID" || type == "Public Registration Number" ||
        type == "Unified Social Credit Code (USCC)" || type == "Business Registration Number")
        return IdKind::registration;
    if (type == "Tax ID No." || type == "RUC #" || type == "NIT #") return IdKind::tax;
    if (type == "Passport") return IdKind::passport;
    if (type == "National ID No." || type == "Cedula No." || type == "Identification Number")
        return IdKind::national_id;
    return IdKind::other;
}

}  // namespace

void parse_ofac_xml(std::string_view data, const std::string& name, LoadedList& out, int max_depth) {
    XmlEvents x(data, name, max_depth);
    Entity e;
    std::string first, last, aka_first, aka_last, aka_type, aka_category, id_type, id_number, id_country,
        remarks;
    x.run(
        [&](std::string_view el) {
            require_root(x, el, "sdnList", "OFAC SDN XML");
            if (el == "sdnEntry") {
                e = Entity{};
                first.clear();
                last.clear();
                remarks.clear();
            } else if (el == "aka") {
                aka_first.clear();
                aka_last.clear();
                aka_type.clear();
                aka_category.clear();
            } else if (el == "id") {
                id_type.clear();
                id_number.clear();
                id_country.clear();
            }
        },
        [&](std::string_view el, std::string_view text) {
            const std::string_view parent = x.parent();
            if (el == "Publish_Date") {
                out.info.publication_date = iso_date(text, false);
            } else if (parent == "sdnEntry") {
                if (el == "uid")
                    e.source_id = std::string(text);
                else if (el == "firstName")
                    first = text;
                else if (el == "lastName")
                    last = text;
                else if (el == "remarks")
                    remarks = text;
                else if (el == "sdnType") {
                    if (text == "Individual")
                        e.schema = Schema::person;
                    else if (text == "Vessel")
                        e.schema = Schema::vessel;
                    else if (text == "Aircraft")
                        e.schema = Schema::airplane;
                    else
                        e.schema = Schema::legal_entity;
                }
            } else if (parent == "aka") {
                if (el == "firstName")
                    aka_first = text;
                else if (el == "lastName")
                    aka_last = text;
                else if (el == "type")
                    aka_type = text;
                else if (el == "category")
                    aka_category = text;
            } else if (parent == "id") {
                if (el == "idType")
                    id_type = text;
                else if (el == "idNumber")
                    id_number = text;
                else if (el == "idCountry")
                    id_country = text;
            } else if (el == "program" && parent == "programList") {
                add_program(e, text);
            } else if (el == "country" &&
                       (parent == "address" || parent == "nationality" || parent == "citizenship")) {
                add_country(e, text);
            } else if (parent == "vesselInfo") {
                if (el == "callSign") {
                    if (auto cs = normalize_call_sign(text)) add_id(e, IdKind::call_sign, *cs, "Call Sign");
                } else if (el == "vesselFlag") {
                    e.flag = country_code(text).value_or(std::string(text));
                } else if (el == "vesselOwner" && !text.empty()) {
                    e.links.push_back(Link{"owner", "", std::string(text)});
                }
            }
            if (el == "aka") {
                std::string n = aka_first.empty()
                                    ? aka_last
                                    : (aka_last.empty() ? aka_first : aka_last + ", " + aka_first);
                const NameKind kind = aka_type == "f.k.a."     ? NameKind::former
                                      : aka_category == "weak" ? NameKind::weak_alias
                                                               : NameKind::alias;
                add_name(e, std::move(n), kind);
            } else if (el == "id") {
                const IdKind kind = ofac_id_kind(id_type);
                if (kind == IdKind::imo) {
                    if (auto imo = normalize_imo(id_number)) add_id(e, IdKind::imo, *imo, id_type);
                } else if (kind == IdKind::mmsi) {
                    if (auto m = normalize_mmsi(id_number)) add_id(e, IdKind::mmsi, *m, id_type);
                } else if (id_type == "Former Vessel Flag") {
                    e.former_flags.push_back(country_code(id_number).value_or(id_number));
                } else if (id_type == "Vessel Call Sign") {
                    if (auto cs = normalize_call_sign(id_number)) add_id(e, IdKind::call_sign, *cs, id_type);
                } else if (kind != IdKind::other) {
                    add_id(e, kind, id_number, id_type);
                    add_country(e, id_country);
                }
            } else if (el == "sdnEntry") {
                ++out.report.records;
                if (e.source_id.empty() || last.empty()) {
                    ++out.report.skipped;
                    out.report.note(name + ":" + std::to_string(x.line()) +
                                    ": <sdnEntry> without uid or lastName (skipped)");
                    return;
                }
                e.names.insert(e.names.begin(),
                               Name{first.empty() ? last : last + ", " + first, NameKind::primary});
                e.remarks = remarks;
                apply_ofac_remarks(remarks, e);
                out.entities.push_back(std::move(e));
                ++out.report.entities;
            }
        });
}

void parse_un_xml(std::string_view data, const std::string& name, LoadedList& out, int max_depth) {
    XmlEvents x(data, name, max_depth);
    Entity e;
    std::string n1, n2, n3, n4, data_id, alias_quality, alias_name, doc_type, doc_number, doc_country;
    x.run(
        [&](std::string_view el) {
            require_root(x, el, "CONSOLIDATED_LIST", "UN consolidated list XML");
            if (x.path().size() == 1) {
                if (auto d = x.attr("dateGenerated")) out.info.publication_date = iso_date(*d, false);
            }
            if (el == "INDIVIDUAL" || el == "ENTITY") {
                e = Entity{};
                e.schema = el == "INDIVIDUAL" ? Schema::person : Schema::legal_entity;
                n1.clear();
                n2.clear();
                n3.clear();
                n4.clear();
                data_id.clear();
            } else if (el == "INDIVIDUAL_ALIAS" || el == "ENTITY_ALIAS") {
                alias_quality.clear();
                alias_name.clear();
            } else if (el == "INDIVIDUAL_DOCUMENT") {
                doc_type.clear();
                doc_number.clear();
                doc_country.clear();
            }
        },
        [&](std::string_view el, std::string_view text) {
            const std::string_view parent = x.parent();
            if (parent == "INDIVIDUAL" || parent == "ENTITY") {
                if (el == "DATAID")
                    data_id = text;
                else if (el == "FIRST_NAME")
                    n1 = text;
                else if (el == "SECOND_NAME")
                    n2 = text;
                else if (el == "THIRD_NAME")
                    n3 = text;
                else if (el == "FOURTH_NAME")
                    n4 = text;
                else if (el == "REFERENCE_NUMBER")
                    e.source_id = std::string(text);
                else if (el == "UN_LIST_TYPE")
                    add_program(e, text);
                else if (el == "LISTED_ON")
                    e.listed_on = iso_date(text, false);
                else if (el == "NAME_ORIGINAL_SCRIPT")
                    add_name(e, std::string(text), NameKind::alias);
                else if (el == "COMMENTS1")
                    e.remarks = text;
            } else if (el == "VALUE" && parent == "NATIONALITY") {
                add_country(e, text);
            } else if (parent == "INDIVIDUAL_ALIAS" || parent == "ENTITY_ALIAS") {
                if (el == "QUALITY")
                    alias_quality = text;
                else if (el == "ALIAS_NAME")
                    alias_name = text;
            } else if (el == "COUNTRY" && (parent == "INDIVIDUAL_ADDRESS" || parent == "ENTITY_ADDRESS")) {
                add_country(e, text);
            } else if (parent == "INDIVIDUAL_DOCUMENT") {
                if (el == "TYPE_OF_DOCUMENT")
                    doc_type = text;
                else if (el == "NUMBER")
                    doc_number = text;
                else if (el == "ISSUING_COUNTRY" || el == "COUNTRY_OF_ISSUE")
                    doc_country = text;
            }
            if (el == "INDIVIDUAL_ALIAS" || el == "ENTITY_ALIAS") {
                add_name(e, alias_name, alias_quality == "Low" ? NameKind::weak_alias : NameKind::alias);
            } else if (el == "INDIVIDUAL_DOCUMENT" && !doc_number.empty()) {
                const IdKind kind = doc_type.find("assport") != std::string::npos    ? IdKind::passport
                                    : doc_type.find("National") != std::string::npos ? IdKind::national_id
                                                                                     : IdKind::other;
                add_id(e, kind, doc_number, doc_type);
            } else if (el == "INDIVIDUAL" || el == "ENTITY") {
                ++out.report.records;
                if (e.source_id.empty()) e.source_id = data_id;
                const std::string primary = join_names({n1, n2, n3, n4});
                if (e.source_id.empty() || primary.empty()) {
                    ++out.report.skipped;
                    out.report.note(name + ":" + std::to_string(x.line()) + ": <" + std::string(el) +
                                    "> without reference number or name (skipped)");
                    return;
                }
                e.names.insert(e.names.begin(), Name{primary, NameKind::primary});
                out.entities.push_back(std::move(e));
                ++out.report.entities;
            }
        });
}

void parse_uk_xml(std::string_view data, const std::string& name, LoadedList& out, int max_depth) {
    XmlEvents x(data, name, max_depth);
    Entity e;
    std::string parts[6];
    std::string name_type, alias_strength;
    x.run(
        [&](std::string_view el) {
            require_root(x, el, "Designations", "UK Sanctions List XML");
            if (el == "Designation") {
                e = Entity{};
            } else if (el == "Name" && x.parent() == "Names") {
                for (auto& p : parts) p.clear();
                name_type.clear();
                alias_strength.clear();
            }
        },
        [&](std::string_view el, std::string_view text) {
            const std::string_view parent = x.parent();
            if (el == "DateGenerated" && x.path().size() == 2) {
                out.info.publication_date = iso_date(text, true);
            } else if (parent == "Designation") {
                if (el == "UniqueID")
                    e.source_id = std::string(text);
                else if (el == "DateDesignated")
                    e.listed_on = iso_date(text, true);
                else if (el == "RegimeName")
                    add_program(e, text);
                else if (el == "OtherInformation")
                    e.remarks = text;
                else if (el == "IndividualEntityShip") {
                    e.schema = text == "Individual" ? Schema::person
                               : text == "Ship"     ? Schema::vessel
                                                    : Schema::legal_entity;
                }
            } else if (parent == "Name" && el.size() == 5 && el.substr(0, 4) == "Name" && el[4] >= '1' &&
                       el[4] <= '6') {
                parts[el[4] - '1'] = text;
            } else if (parent == "Name" && el == "NameType") {
                name_type = text;
            } else if (parent == "Name" && el == "AliasStrength") {
                alias_strength = text;
            } else if (el == "NameNonLatinScript") {
                add_name(e, std::string(text), NameKind::alias);
            } else if (el == "Nationality" || el == "AddressCountry" || el == "CountryOfBirth") {
                add_country(e, text);
            } else if (el == "IMONumber") {
                if (auto imo = normalize_imo(text)) add_id(e, IdKind::imo, *imo, "IMO");
            } else if (el == "MMSINumber" || el == "MMSI") {
                if (auto m = normalize_mmsi(text)) add_id(e, IdKind::mmsi, *m, "MMSI");
            } else if (el == "CallSign") {
                if (auto cs = normalize_call_sign(text)) add_id(e, IdKind::call_sign, *cs, "Call Sign");
            } else if (el == "CurrentBelievedFlagOfShip") {
                e.flag = country_code(text).value_or(std::string(text));
            } else if (el == "PreviousFlag") {
                e.former_flags.push_back(country_code(text).value_or(std::string(text)));
            } else if (el == "CurrentOwnerOperator" && !text.empty()) {
                e.links.push_back(Link{"owner", "", std::string(text)});
            } else if (el == "PassportNumber") {
                add_id(e, IdKind::passport, std::string(text), "Passport");
            } else if (el == "NationalIdentifierNumber") {
                add_id(e, IdKind::national_id, std::string(text), "National identifier");
            } else if (el == "BusinessRegistrationNumber") {
                add_id(e, IdKind::registration, std::string(text), "Business registration number");
            }
            if (el == "Name" && parent == "Names") {
                // Name1..Name5 are given and middle names, Name6 the family or entity name.
                std::string full = join_names({parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]});
                NameKind kind = NameKind::alias;
                if (name_type == "Primary Name")
                    kind = NameKind::primary;
                else if (name_type.find("Previous") != std::string::npos ||
                         name_type.find("Former") != std::string::npos)
                    kind = NameKind::former;
                else if (alias_strength.find("Low") != std::string::npos)
                    kind = NameKind::weak_alias;
                add_name(e, std::move(full), kind);
            } else if (el == "Designation") {
                ++out.report.records;
                if (e.source_id.empty() || e.names.empty()) {
                    ++out.report.skipped;
                    out.report.note(name + ":" + std::to_string(x.line()) +
                                    ": <Designation> without UniqueID or name (skipped)");
                    return;
                }
                out.entities.push_back(std::move(e));
                ++out.report.entities;
            }
        });
}

void parse_eu_xml(std::string_view data, const std::string& name, LoadedList& out, int max_depth) {
    XmlEvents x(data, name, max_depth);
    Entity e;
    x.run(
        [&](std::string_view el) {
            require_root(x, el, "export", "EU Financial Sanctions Files XML");
            if (x.path().size() == 1) {
                if (auto d = x.attr("generationDate")) out.info.publication_date = iso_date(*d, false);
                return;
            }
            if (el == "sanctionEntity") {
                e = Entity{};
                e.source_id = x.attr("euReferenceNumber").value_or("");
                if (e.source_id.empty()) e.source_id = x.attr("logicalId").value_or("");
                if (auto d = x.attr("designationDate")) e.listed_on = iso_date(*d, false);
                return;
            }
            if (x.parent() != "sanctionEntity") return;
            if (el == "subjectType") {
                const std::string code = x.attr("code").value_or("");
                e.schema = code == "person" ? Schema::person : Schema::legal_entity;
            } else if (el == "nameAlias") {
                std::string whole = x.attr("wholeName").value_or("");
                if (whole.empty())
                    whole = join_names({x.attr("firstName").value_or(""), x.attr("middleName").value_or(""),
                                        x.attr("lastName").value_or("")});
                const bool strong = x.attr("strong").value_or("true") != "false";
                add_name(e, std::move(whole), strong ? NameKind::primary : NameKind::weak_alias);
            } else if (el == "citizenship" || el == "address") {
                auto c = x.attr("countryIso2Code").value_or("");
                if (c.empty() || c == "00") c = x.attr("countryDescription").value_or("");
                if (c != "UNKNOWN") add_country(e, c);
            } else if (el == "regulation") {
                add_program(e, x.attr("programme").value_or(""));
            } else if (el == "identification") {
                const std::string code = x.attr("identificationTypeCode").value_or("");
                const std::string number = x.attr("number").value_or("");
                const std::string desc = x.attr("identificationTypeDescription").value_or(code);
                if (number.empty()) return;
                if (code == "imo" || desc.find("IMO") != std::string::npos) {
                    if (auto imo = normalize_imo(number)) add_id(e, IdKind::imo, *imo, desc);
                    return;
                }
                const IdKind kind = code == "passport"                      ? IdKind::passport
                                    : code == "id"                          ? IdKind::national_id
                                    : code == "regnumber"                   ? IdKind::registration
                                    : code == "fiscalcode" || code == "tin" ? IdKind::tax
                                                                            : IdKind::other;
                add_id(e, kind, number, desc);
            }
        },
        [&](std::string_view el, std::string_view text) {
            if (el == "remark" && x.parent() == "sanctionEntity") {
                if (!e.remarks.empty()) e.remarks += " ";
                e.remarks += text;
            } else if (el == "sanctionEntity") {
                ++out.report.records;
                if (e.source_id.empty() || e.names.empty()) {
                    ++out.report.skipped;
                    out.report.note(
                        name + ":" + std::to_string(x.line()) +
                        ": <sanctionEntity> without euReferenceNumber/logicalId or nameAlias (skipped)");
                    return;
                }
                out.entities.push_back(std::move(e));
                ++out.report.entities;
            }
        });
}

}  // namespace vw::screen
