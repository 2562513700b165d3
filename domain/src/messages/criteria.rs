//! The names of the HQM criteria and of the authorities that score them, in
//! the four languages (seed 002; SPEC §14.6).

use crate::hqm::criteria::{Authority, Criterion};
use crate::lang::Lang;

/// The criterion's title in `lang` (SPEC §14.6: the criteria table in az,
/// en, ru and tr).
pub fn criterion(criterion: Criterion, lang: Lang) -> &'static str {
    use Lang::*;
    match (criterion, lang) {
        (Criterion::WorkExperience, Az) => "Müvafiq sahədə iş təcrübəsi",
        (Criterion::WorkExperience, En) => "Work experience in the field",
        (Criterion::WorkExperience, Ru) => "Опыт работы в соответствующей сфере",
        (Criterion::WorkExperience, Tr) => "İlgili alanda iş deneyimi",
        (Criterion::NationalPriorities, Az) => "Ölkənin sosial-iqtisadi inkişaf prioritetlərinə uyğunluq",
        (Criterion::NationalPriorities, En) => "Alignment with national socio-economic priorities",
        (Criterion::NationalPriorities, Ru) => "Соответствие приоритетам социально-экономического развития страны",
        (Criterion::NationalPriorities, Tr) => "Ülkenin sosyo-ekonomik kalkınma önceliklerine uygunluk",
        (Criterion::Education, Az) => "Təhsil",
        (Criterion::Education, En) => "Education",
        (Criterion::Education, Ru) => "Образование",
        (Criterion::Education, Tr) => "Eğitim",
        (Criterion::FinancialStability, Az) => "Maliyyə sabitliyi",
        (Criterion::FinancialStability, En) => "Financial stability",
        (Criterion::FinancialStability, Ru) => "Финансовая стабильность",
        (Criterion::FinancialStability, Tr) => "Finansal istikrar",
        (Criterion::LabourMarketImpact, Az) => "Daxili əmək bazarına müsbət təsir",
        (Criterion::LabourMarketImpact, En) => "Positive impact on the domestic labour market",
        (Criterion::LabourMarketImpact, Ru) => "Положительное влияние на внутренний рынок труда",
        (Criterion::LabourMarketImpact, Tr) => "İç işgücü piyasasına olumlu etki",
        (Criterion::LanguageSkills, Az) => "Xarici dil bilikləri",
        (Criterion::LanguageSkills, En) => "Foreign language skills",
        (Criterion::LanguageSkills, Ru) => "Знание иностранных языков",
        (Criterion::LanguageSkills, Tr) => "Yabancı dil becerileri",
    }
}

/// The authority's name in `lang` (seed 002 names the bodies; SPEC §14.6
/// serves the table in az, en, ru and tr).
pub fn authority(authority: Authority, lang: Lang) -> &'static str {
    use Lang::*;
    match (authority, lang) {
        (Authority::Sectoral, Az) => "Müvafiq sahə üzrə siyasəti və tənzimləməni həyata keçirən dövlət orqanı",
        (Authority::Sectoral, En) => "The state body in charge of policy and regulation in the field",
        (Authority::Sectoral, Ru) => {
            "Государственный орган, осуществляющий политику и регулирование в соответствующей сфере"
        }
        (Authority::Sectoral, Tr) => "İlgili alanda politika ve düzenlemeden sorumlu devlet kurumu",
        (Authority::Economy, Az) => "İqtisadiyyat Nazirliyi",
        (Authority::Economy, En) => "Ministry of Economy",
        (Authority::Economy, Ru) => "Министерство экономики",
        (Authority::Economy, Tr) => "Ekonomi Bakanlığı",
        (Authority::Education, Az) => "Elm və Təhsil Nazirliyi",
        (Authority::Education, En) => "Ministry of Science and Education",
        (Authority::Education, Ru) => "Министерство науки и образования",
        (Authority::Education, Tr) => "Bilim ve Eğitim Bakanlığı",
        (Authority::Sms, Az) => "Dövlət Miqrasiya Xidməti",
        (Authority::Sms, En) => "State Migration Service",
        (Authority::Sms, Ru) => "Государственная миграционная служба",
        (Authority::Sms, Tr) => "Devlet Göç Hizmeti",
        (Authority::Labour, Az) => "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi",
        (Authority::Labour, En) => "Ministry of Labour and Social Protection of Population",
        (Authority::Labour, Ru) => "Министерство труда и социальной защиты населения",
        (Authority::Labour, Tr) => "Çalışma ve Nüfusun Sosyal Korunması Bakanlığı",
    }
}
