DROP TABLE hqm_sectors;
