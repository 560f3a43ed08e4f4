"""Polite defaults. Overridable per run with -s, never loosened in code."""
import os

BOT_NAME = "mediamon"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

CONTACT_URL = os.environ.get("MEDIAMON_CONTACT_URL", "https://github.com/mediamon/mediamon")
USER_AGENT = f"mediamon/0.1 (+{CONTACT_URL}; news monitoring research crawler)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Each response yields one item; Scrapy's default of 100 sets up 100 parallel
# item slots per response, which cost 40% of crawl time in benchmarks/crawl_throughput.
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
# Only the web: a page that redirects to file:///etc/passwd must get an error,
# not a copy of the crawler's disk (scrapy/scrapy#457).
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None, "data": None}
TELNETCONSOLE_ENABLED = False  # would open a port nobody asked for

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawlers.middlewares.GuardedRedirectMiddleware": 600,
}
ITEM_PIPELINES = {"crawlers.pipelines.WarcArchivePipeline": 100}
EXTENSIONS = {"crawlers.extensions.CrawlStatsFile": 500}

# Set by crawlers.run for each source; the pipeline and extension write here.
MEDIAMON_RAW_DIR = None

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
