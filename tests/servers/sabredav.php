<?php
// sabre/dav (the WebDAV engine of Nextcloud) for the tests, served by PHP's built-in server:
//   SABRE_ROOT=/tmp/x SABRE_USER=u SABRE_PASSWORD=p php -S 127.0.0.1:PORT sabredav.php
// Basic authentication with one user, the folder SABRE_ROOT served under /dav/, no locks.
// When the file named by SABRE_QUOTA_FILE exists, it holds the bytes the folder may use:
// a write beyond them is answered 507 Insufficient Storage, as a full Nextcloud does.

// sabre/dav 1.8 predates PHP 8: its deprecation notices must not end in the answers.
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED & ~E_NOTICE & ~E_WARNING);
ini_set('display_errors', '0');

require_once 'Sabre/autoload.php';

use Sabre\DAV;

class OneUser extends DAV\Auth\Backend\AbstractBasic {
    protected function validateUserPass($username, $password) {
        return hash_equals((string) getenv('SABRE_USER'), (string) $username)
            && hash_equals((string) getenv('SABRE_PASSWORD'), (string) $password);
    }
}

class Quota extends DAV\ServerPlugin {
    private $root;

    function __construct($root) {
        $this->root = $root;
    }

    function initialize(DAV\Server $server) {
        $server->subscribeEvent('beforeWriteContent', array($this, 'check'));
        $server->subscribeEvent('beforeCreateFile', array($this, 'check'));
    }

    function check() {
        $limit = getenv('SABRE_QUOTA_FILE');
        if (!$limit || !file_exists($limit)) return true;
        $used = 0;
        $files = new RecursiveIteratorIterator(
            new RecursiveDirectoryIterator($this->root, FilesystemIterator::SKIP_DOTS));
        foreach ($files as $file) $used += $file->getSize();
        $incoming = (int) ($_SERVER['CONTENT_LENGTH'] ?? 0);
        if ($used + $incoming > (int) trim(file_get_contents($limit))) {
            throw new DAV\Exception\InsufficientStorage('The quota is reached');
        }
        return true;
    }
}

$root = getenv('SABRE_ROOT');
$server = new DAV\Server(new DAV\FSExt\Directory($root));
$server->setBaseUri('/dav/');
$server->addPlugin(new DAV\Auth\Plugin(new OneUser(), 'Boussole tests'));
$server->addPlugin(new Quota($root));
$server->exec();
