// Name normalisation and comparison for screening. Every name, from a list or from a query, is
// prepared once: transliterated to Latin ASCII (ICU "Any-Latin; Latin-ASCII"), lower-cased, split into
// tokens; legal forms (LLC, OOO, Co., Ltd, JSC, ...) are set aside in canonical form; vessel prefixes
// (MV, M/V, MT, ...) are dropped; numbers (digits and, outside person names, Roman numerals) are kept
// apart because they must agree. Two prepared names are compared token by token regardless of order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vesselwatch/screen/entity.hpp"

namespace vw::screen {

struct NameToken {
    std::string text;           ///< lower-case ASCII
    std::string skeleton;       ///< consonant skeleton (phonetic key), "" for very short tokens
    float weight = 0;           ///< information weight (by length; particles and patronymics weigh less)
    std::uint32_t letters = 0;  ///< set of the token's characters (bit c & 31): a cheap edit-distance bound
};

/// The character set of a token as NameToken::letters holds it.
[[nodiscard]] std::uint32_t letter_set(std::string_view token) noexcept;

/// Appends v with two decimals ("0.93"), as explanations print similarities.
void append_fixed2(std::string& out, double v);

struct PreparedName {
    std::string original;
    Schema schema = Schema::legal_entity;
    std::vector<NameToken> tokens;         ///< the distinctive part of the name
    std::vector<std::string> numbers;      ///< "4" for "IV" or "4", sorted
    std::vector<std::string> legal_forms;  ///< canonical ("llc", "jsc", "ltd", ...), sorted
    float total_weight = 0;
};

/// Latin ASCII lower case of any script ("Ротенберг" -> "rotenberg"); ASCII input takes a fast path.
[[nodiscard]] std::string to_latin_ascii(std::string_view utf8);

/// Prepares a name as a name of `schema` (person names keep Roman-numeral-looking tokens as words).
[[nodiscard]] PreparedName prepare_name(std::string_view name, Schema schema);

/// The phonetic key of one token (consonant skeleton: vowels dropped, similar sounds merged).
[[nodiscard]] std::string skeleton(std::string_view token);

/// Similarity of two tokens in [0, 1]: 1 equal; 0.9 initial vs word, or same skeleton; else
/// 1 - edit distance / length when the distance is small for the length; 0 otherwise.
[[nodiscard]] float token_similarity(const NameToken& a, const NameToken& b) noexcept;

/// Per-feature result of comparing two names.
struct NameComparison {
    double score = 0;             ///< [0, 1]
    double token_overlap = 0;     ///< weighted Dice of the aligned tokens before the rules below
    bool numbers_differ = false;  ///< numbers in the names disagree (score capped)
    bool legal_form_differs = false;
    std::string alignment;  ///< "a=a 1.00, olaf~olav 0.80, -x" (query token, list token, similarity)
};

/// Parameters of the comparison (the defaults are the documented ones, docs/screening.md).
struct NameMatchParams {
    float min_token_similarity = 0.65F;       ///< aligned tokens below this count as unmatched
    float extra_token_penalty = 0.8F;         ///< unmatched tokens on one side only, organisations and
                                              ///< vessels ("Banco Santander" / "Banco Santander Mexico");
                                              ///< once a token is substituted, extra ones count fully
    float person_extra_token_penalty = 0.2F;  ///< the same for persons (dropped middle names,
                                              ///< patronymics: weak evidence against)
    float substitution_factor = 2.0F;         ///< weight of tokens unmatched on both sides (a word replaced
                                              ///< by another: strong evidence against)
    bool numbers_must_agree = false;          ///< for all names; vessel names always: a different number is a
                                              ///< different hull (SPARTA III / SPARTA IV)
    float number_mismatch_cap = 0.5F;         ///< the score's cap when numbers must agree and differ
    float number_mismatch_factor = 0.85F;     ///< otherwise (series of funds, trusts): a penalty
    float legal_form_mismatch_factor = 0.95F;
};

[[nodiscard]] NameComparison compare_names(const PreparedName& query, const PreparedName& candidate,
                                           const NameMatchParams& params = {}, bool explain = true);

}  // namespace vw::screen
