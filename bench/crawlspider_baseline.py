"""The engine a Scrapy user would write: a CrawlSpider that follows every internal link with a
LinkExtractor and yields url/status/title. The benchmark's reference point.

    python bench/crawlspider_baseline.py URL CONCURRENCY
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class Baseline(CrawlSpider):
    name = "baseline"
    rules = (Rule(LinkExtractor(), callback="parse_item", follow=True),)

    def parse_item(self, response):
        yield {"url": response.url, "status": response.status, "title": response.css("title::text").get()}

    def parse_start_url(self, response, **kwargs):
        return self.parse_item(response)


def main() -> int:
    url, concurrency = sys.argv[1], int(sys.argv[2])
    host = urlsplit(url).hostname
    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": max(16, concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": True, "HTTPCACHE_ENABLED": False,
        "ITEM_PIPELINES": {}, "FEEDS": {},
    })
    Baseline.allowed_domains = [host]
    crawler = process.create_crawler(Baseline)
    process.crawl(crawler, start_urls=[url])
    process.start()
    print(f"responses {crawler.stats.get_value('response_received_count', 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
