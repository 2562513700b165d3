DROP TABLE exemption_categories;
